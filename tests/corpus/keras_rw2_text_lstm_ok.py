import numpy as np
import keras
from keras import layers

MAX_WORDS = 10000
MAX_LEN = 80
EMBED_DIM = 64

texts_as_ids = [np.random.randint(1, MAX_WORDS, size=np.random.randint(5, 120)) for _ in range(64)]
x = keras.utils.pad_sequences(texts_as_ids, maxlen=MAX_LEN)
y = np.random.randint(0, 2, size=(64,))

model = keras.Sequential([
    keras.Input(shape=(MAX_LEN,), dtype="int32"),
    layers.Embedding(MAX_WORDS, EMBED_DIM),
    layers.Bidirectional(layers.LSTM(32, return_sequences=True)),
    layers.Bidirectional(layers.LSTM(16)),
    layers.Dense(16, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
model.summary()
model.fit(x, y, epochs=1, batch_size=16, validation_split=0.2, verbose=0)
print("OUTPUT_SHAPE", model.predict(x[:4], verbose=0).shape)
