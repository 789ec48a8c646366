"""The broker kept in files (`filesystem://`), with messages published atomically.

kombu's filesystem transport creates a message's file under its final name and
then writes into it. A worker polling the folder in between (every 0.1 s) takes
the file while it is still empty or half written: it moves and deletes the file,
fails to decode it, and the message is gone (the job's resend brings it back
only after ``JOB_RESEND_SECONDS``). Here a message is written under a name no
reader takes (``.part``) and renamed into place, which is atomic in one folder,
so a reader sees either no file or the whole message.

``studyapp.celery`` registers this transport for ``filesystem://`` URLs.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Put `payload` onto `queue`: write it aside, then rename it into place."""
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = f"{final}.part"  # not "<queue>.msg": no reader takes it
        try:
            with open(partial, "wb", buffering=0) as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.remove(partial)
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
