import numpy as np
import keras
from keras import layers

X = np.random.rand(300, 12)
y = np.random.randint(0, 2, size=(300,))

model = keras.Sequential()
model.add(layers.Dense(16, input_dim=10, activation="relu"))
model.add(layers.Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(X, y, epochs=1, batch_size=10, verbose=0)
