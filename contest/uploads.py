"""An upload handler that stops reading a request body as soon as a file in
it passes `UPLOAD_MAX_BYTES`, so an oversized upload is never read whole
(into memory or a temporary file). The view turns the flag it sets on the
request into the TOO_LARGE message."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# Room for the form's other fields and the multipart framing (bytes).
FORM_OVERHEAD_BYTES = 64 * 1024


class MaxSizeUploadHandler(FileUploadHandler):
    """Refuses, by `request.upload_too_large = True`, any body whose declared
    Content-Length or any file's received bytes exceed the cap (bytes)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limit = settings.UPLOAD_MAX_BYTES
        self.received = 0
        self.too_large = content_length is not None and content_length > self.limit + FORM_OVERHEAD_BYTES
        if self.too_large:
            self.request.upload_too_large = True
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        if self.too_large:
            raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None
