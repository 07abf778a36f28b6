"""The Django admin is the superusers' (the regional organizers') tool:
staff without superuser status are not let in, whatever their model
permissions. Organizers and moderators of a contest work in `/organize/`,
by their roles (`contest.rules`)."""

from django.contrib import admin
from django_otp.admin import OTPAdminSite


class SuperuserAdminSite(admin.AdminSite):
    """Django's admin site, for active superusers only."""

    def has_permission(self, request):
        return super().has_permission(request) and request.user.is_superuser


class SuperuserOTPAdminSite(OTPAdminSite):
    """django-otp's admin site (signed in with the second factor), for
    active superusers only."""

    def has_permission(self, request):
        return super().has_permission(request) and request.user.is_superuser
