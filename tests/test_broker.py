"""The broker kept in files: a reader never takes a message that is still being written."""

from __future__ import annotations

import pytest
from kombu import Connection
from kombu.transport import filesystem

from studyapp import broker


def _options(tmp_path) -> dict:
    for folder in ("queue", "processed", "control"):
        (tmp_path / folder).mkdir()
    return {
        "data_folder_in": str(tmp_path / "queue"),
        "data_folder_out": str(tmp_path / "queue"),
        "processed_folder": str(tmp_path / "processed"),
        "control_folder": str(tmp_path / "control"),
        "store_processed": False,
    }


def _poll_while_writing(monkeypatch, channel):
    """Make every write into a message file first let a reader poll the queue, as a
    worker polling every 0.1 s does when the sender is descheduled mid-write."""
    taken = []
    real_dumps = {"kombu": filesystem.dumps, "ours": broker.dumps}

    def dumps_then_poll(module):
        def dumps(payload):
            try:
                taken.append(channel._get("jobs"))
            except Exception as exc:  # what a worker would meet
                taken.append(exc)
            return real_dumps[module](payload)

        return dumps

    monkeypatch.setattr(filesystem, "dumps", dumps_then_poll("kombu"))
    monkeypatch.setattr(broker, "dumps", dumps_then_poll("ours"))
    return taken


def test_kombus_channel_lets_a_reader_take_a_message_before_it_is_written(tmp_path, monkeypatch):
    with Connection(
        "filesystem://", transport=filesystem.Transport, transport_options=_options(tmp_path)
    ) as connection:
        channel = connection.default_channel
        taken = _poll_while_writing(monkeypatch, channel)

        channel._put("jobs", {"job": 7})

        assert len(taken) == 1 and isinstance(taken[0], ValueError)  # an empty file
        with pytest.raises(filesystem.Empty):
            channel._get("jobs")  # and the message is gone


def test_a_message_is_taken_whole_or_not_at_all(tmp_path, monkeypatch):
    with Connection("filesystem://", transport_options=_options(tmp_path)) as connection:
        channel = connection.default_channel
        assert isinstance(channel, broker.Channel)  # what filesystem:// URLs get
        taken = _poll_while_writing(monkeypatch, channel)

        channel._put("jobs", {"job": 7})

        assert len(taken) == 1 and isinstance(taken[0], filesystem.Empty)
        assert channel._get("jobs") == {"job": 7}
        assert [p.name for p in (tmp_path / "queue").iterdir()] == []
