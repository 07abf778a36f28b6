"""A photo sent straight from the parent's browser to the file store (S3
multipart upload with presigned part URLs, `contest.direct_uploads`),
before it belongs to an entry. The row, not a web node's disk or memory,
holds the upload's state, so any web node answers any step of it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .contest import Contest


class StagedUpload(models.Model):
    """One upload to the store under `name` (the storage name the entry's
    `original` takes, `originals/<contest>/<random>`), with S3's multipart
    `upload_id` while parts still arrive. `completed_at` is set once S3
    assembled the object and its head was checked; `info` then holds what
    the check learned (format, width, height, sha256, low_resolution).
    Rows of uploads never used are swept with their objects
    (`direct_uploads.staged_uploads_sweep`)."""

    id = models.CharField(primary_key=True, max_length=32, editable=False)
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("storage name"), max_length=255)
    # The file's name on the sender's device: a teacher's rows name their photos by it.
    file_name = models.CharField(_("file name"), max_length=100, blank=True)
    s3_upload_id = models.CharField(max_length=1024, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(max_length=100, blank=True)
    info = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("upload in progress")
        verbose_name_plural = _("uploads in progress")

    def __str__(self):
        return self.id
