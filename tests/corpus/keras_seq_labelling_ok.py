import numpy as np
import keras
from keras import layers

x = np.random.randint(1, 500, size=(64, 12))
y = np.random.randint(0, 5, size=(64, 12))

model = keras.Sequential([
    keras.Input(shape=(12,)),
    layers.Embedding(500, 16),
    layers.LSTM(16, return_sequences=True),
    layers.Dense(5, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=1, verbose=0)
print("OUTPUT_SHAPE", model.predict(x[:2], verbose=0).shape)
