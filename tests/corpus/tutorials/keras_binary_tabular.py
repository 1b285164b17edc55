"""Binary classification of tabular data (the Pima diabetes tutorial)."""
import numpy as np
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense

dataset = np.random.rand(768, 9)
X = dataset[:, 0:8]
y = (dataset[:, 8] > 0.5).astype("int64")

model = Sequential()
model.add(Dense(12, input_shape=(8,), activation="relu"))
model.add(Dense(8, activation="relu"))
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(X, y, epochs=1, batch_size=10, verbose=0)
predictions = (model.predict(X, verbose=0) > 0.5).astype(int)
