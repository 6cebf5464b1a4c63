"""The participant's export of their whole portfolio: what goes in (`contents`), the PDF (`pdf`),
the Leap2A file (`leap2a`) and the zip that holds them with the original files (`archive`).
portfolio.services.exports runs it for an ExportRequest; portfolio.tasks is the Celery task."""
