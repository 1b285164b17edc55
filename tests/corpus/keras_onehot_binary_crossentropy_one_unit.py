import numpy as np
import keras
from keras import layers

texts = np.random.randint(1, 2000, size=(100, 30))
labels = keras.utils.to_categorical(np.random.randint(0, 2, size=(100,)), 2)
model = keras.Sequential([
    keras.Input(shape=(30,)),
    layers.Embedding(2000, 32),
    layers.LSTM(16),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(texts, labels, epochs=1, verbose=0)
