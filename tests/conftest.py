import os
import sys

os.environ.setdefault("KERAS_BACKEND", "torch")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "differential"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "robustness"))
sys.path.insert(0, os.path.dirname(__file__))  # oracle.py
