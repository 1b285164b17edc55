"""Regression on Boston housing prices (Deep Learning with Python, chapter 3)."""
import numpy as np
import keras
from keras import layers

(train_data, train_targets), (test_data, test_targets) = keras.datasets.boston_housing.load_data()
mean = train_data.mean(axis=0)
train_data -= mean
std = train_data.std(axis=0)
train_data /= std
test_data -= mean
test_data /= std


def build_model():
    model = keras.Sequential([
        layers.Dense(64, activation="relu"),
        layers.Dense(64, activation="relu"),
        layers.Dense(1),
    ])
    model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
    return model


model = build_model()
model.fit(train_data, train_targets, epochs=1, batch_size=16, validation_split=0.2, verbose=0)
test_mse, test_mae = model.evaluate(test_data, test_targets, verbose=0)
