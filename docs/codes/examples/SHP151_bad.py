import keras
from keras import layers

backbone = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(16, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
], name="backbone")
images = keras.Input(shape=(32, 32, 1))
outputs = layers.Dense(10)(backbone(images))
model = keras.Model(images, outputs)
