from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


class RequestSizeLimitUploadHandler(FileUploadHandler):
    """Refuses a multipart request larger than settings.UPLOAD_MAX_REQUEST_BYTES before
    reading it (Django answers 400), so an oversized upload never reaches the disk.

    Files within the limit go on to the next handlers (memory, then a temporary file with a
    random name); the importer applies its own, friendlier size check below this limit.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > settings.UPLOAD_MAX_REQUEST_BYTES:
            raise RequestDataTooBig(
                f"Upload of {content_length} bytes exceeds UPLOAD_MAX_REQUEST_BYTES "
                f"({settings.UPLOAD_MAX_REQUEST_BYTES})."
            )

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None
