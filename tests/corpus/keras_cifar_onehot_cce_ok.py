import numpy as np
import keras
from keras import layers

(x_train, y_train), _ = keras.datasets.cifar10.load_data()
x_train = x_train[:128].astype("float32") / 255.0
y_train = keras.utils.to_categorical(y_train[:128], 10)

inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(8, 3, activation="relu")(inputs)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=1, verbose=0)
print("OUTPUT_SHAPE", model.predict(x_train[:2], verbose=0).shape)
