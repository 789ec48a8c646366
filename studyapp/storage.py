"""Static files: hashed names, compressed copies, and JavaScript module imports
rewritten to the hashed names, so every file can be cached for a year."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    # `import ... from "./api.js"` becomes `"./api.<hash>.js"`: a module never
    # loads a stale copy of another, and none needs revalidating.
    support_js_module_import_aggregation = True
