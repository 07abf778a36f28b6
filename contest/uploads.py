"""An upload handler that never keeps more than `UPLOAD_MAX_BYTES` of a
file (in memory or a temporary file). The view turns the flag it sets on
the request into the TOO_LARGE message.

The photo is the first field of the parent's form, so the fields the parent
typed come after it in the body. A file over the cap is skipped (its bytes
are read and thrown away) and the fields after it are still read, so the
form comes back filled in; only a body over `DISCARD_MAX_BYTES` is not read
on at all (the typed fields are lost then: nobody sends that by mistake,
and the proxy in front refuses far less, deploy/nginx.conf)."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload

# Room for the form's other fields and the multipart framing (bytes).
FORM_OVERHEAD_BYTES = 64 * 1024


def discard_max_bytes() -> int:
    """The largest body (bytes) read through to the end when its file is
    over the cap: twice the cap, plus the form's other fields."""
    return 2 * settings.UPLOAD_MAX_BYTES + FORM_OVERHEAD_BYTES


class MaxSizeUploadHandler(FileUploadHandler):
    """Refuses, by `request.upload_too_large = True`, any body whose declared
    Content-Length or any file's received bytes exceed the cap (bytes):
    the file is skipped and the fields after it are read, or, for a body
    over `discard_max_bytes()`, reading stops."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limit = settings.UPLOAD_MAX_BYTES
        self.received = 0
        self.too_large = content_length is not None and content_length > self.limit + FORM_OVERHEAD_BYTES
        self.stop_reading = content_length is not None and content_length > discard_max_bytes()
        if self.too_large:
            self.request.upload_too_large = True
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        if self.stop_reading:
            raise StopUpload(connection_reset=True)
        if self.too_large:
            raise SkipFile()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True
            # Closes (and so deletes) what the other handlers kept of it.
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None
