"""Media handling for running the pipeline locally: probing and transcoding with ffmpeg."""
