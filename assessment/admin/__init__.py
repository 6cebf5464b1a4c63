"""The programme leader's assessment screens in the CMS: rubrics, tasks and extensions."""
