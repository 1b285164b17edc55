import numpy as np
import keras
from keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.boston_housing.load_data()
mean, std = x_train.mean(axis=0), x_train.std(axis=0)
x_train = (x_train - mean) / std

model = keras.Sequential([
    layers.Input(shape=(13,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(1),
])
model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)
print("OUTPUT_SHAPE", model.predict(x_train[:5], verbose=0).shape)
