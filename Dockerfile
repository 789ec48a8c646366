FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    VAR_DIR=/app/var \
    STATIC_ROOT=/app/static

WORKDIR /app
RUN useradd --create-home --uid 1000 study

COPY requirements.lock pyproject.toml ./
RUN pip install --require-hashes --no-deps -r requirements.lock
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput -v 0 \
    && mkdir -p /app/var && chown -R study /app/var

USER study
EXPOSE 8000
CMD ["sh", "docker/web.sh"]
