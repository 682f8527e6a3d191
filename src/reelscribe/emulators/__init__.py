"""AWS services that moto lacks or only fakes, emulated over real engines."""
