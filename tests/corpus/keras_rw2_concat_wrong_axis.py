import numpy as np
import keras
from keras import layers


def inception_module(x, f1, f3, f5):
    branch1 = layers.Conv2D(f1, 1, padding="same", activation="relu")(x)
    branch3 = layers.Conv2D(f3, 3, padding="same", activation="relu")(x)
    branch5 = layers.Conv2D(f5, 5, padding="same", activation="relu")(x)
    return layers.Concatenate(axis=1)([branch1, branch3, branch5])


inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
x = inception_module(x, 16, 32, 8)
x = layers.MaxPooling2D()(x)
x = layers.Flatten()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
print("OUTPUT_SHAPE", model.predict(np.zeros((2, 32, 32, 3)), verbose=0).shape)
