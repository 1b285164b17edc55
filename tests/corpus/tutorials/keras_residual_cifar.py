"""A small residual network for CIFAR-10 with the functional API."""
import keras
from keras import layers


def residual_block(x, filters):
    shortcut = x
    x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Conv2D(filters, 3, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.add([x, shortcut])
    return layers.Activation("relu")(x)


inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
x = residual_block(x, 32)
x = layers.MaxPooling2D()(x)
x = layers.Conv2D(64, 1)(x)
x = residual_block(x, 64)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs, name="mini_resnet")

(x_train, y_train), _ = keras.datasets.cifar10.load_data()
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
model.fit(x_train[:128] / 255.0, y_train[:128], epochs=1, batch_size=64, verbose=0)
