"""Front-ends turn a source file, a notebook, a live model or a saved model into Programs and run inference."""
