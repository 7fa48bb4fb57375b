"""Image analysis used by the checks: loading, quality metrics, OCR, faces, hashes, EXIF.

Pure functions over pixels and bytes: no database, no network. Every model used here ships
inside an installed package (RapidOCR's PP-OCR ONNX files, dlib's face models from
`face_recognition_models`); nothing is downloaded at run time.
"""
