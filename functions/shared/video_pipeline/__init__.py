"""Domain code shared by the pipeline's Lambda functions (deployed as a layer)."""
