"""A functional model with two inputs (text features and numeric features) merged by concatenation."""
import numpy as np
import keras
from keras import layers

text_in = keras.Input(shape=(50,), name="tokens")
num_in = keras.Input(shape=(8,), name="numeric")
t = layers.Embedding(1000, 16)(text_in)
t = layers.GlobalAveragePooling1D()(t)
n = layers.Dense(16, activation="relu")(num_in)
x = layers.concatenate([t, n])
x = layers.Dense(32, activation="relu")(x)
out = layers.Dense(3, activation="softmax", name="label")(x)
model = keras.Model(inputs=[text_in, num_in], outputs=out)

tokens = np.random.randint(0, 1000, size=(64, 50))
numeric = np.random.rand(64, 8).astype("float32")
labels = np.random.randint(0, 3, size=(64,))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit([tokens, numeric], labels, epochs=1, verbose=0)
