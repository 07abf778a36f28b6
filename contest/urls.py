from django.urls import path
app_name = "contest"
urlpatterns = []
