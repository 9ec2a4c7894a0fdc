"""Reading PDFs into `PageText`: the text engines (pdf), layout (margin columns, paragraphs),
normalisation of characters, and OCR of pages without text (Tesseract)."""
