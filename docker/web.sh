#!/bin/sh
# Web container: apply migrations, then serve with gunicorn.
set -e
python manage.py migrate --noinput
exec gunicorn studyapp.wsgi:application \
    --bind 0.0.0.0:8000 \
    --workers "${WEB_CONCURRENCY:-3}" --threads 4 \
    --no-control-socket --access-logfile -
