import numpy as np
import keras
from keras import layers

vocab = ["the", "cat", "sat", "on", "mat"]
word_index = {word: i + 1 for i, word in enumerate(vocab)}  # 0 is kept for padding
sentences = [["the", "cat", "sat"], ["on", "the", "mat"]] * 4
ids = keras.utils.pad_sequences([[word_index[w] for w in s] for s in sentences], maxlen=4)
labels = np.array([0, 1] * 4)

model = keras.Sequential([
    keras.Input(shape=(4,), dtype="int32"),
    layers.Embedding(input_dim=len(vocab), output_dim=8),
    layers.GlobalAveragePooling1D(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(ids, labels, epochs=1, verbose=0)
