import numpy as np
import keras
from keras import layers


def residual_block(x, filters, stride=1):
    shortcut = x
    x = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    if stride != 1 or shortcut.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(shortcut)
        shortcut = layers.BatchNormalization()(shortcut)
    x = layers.add([x, shortcut])
    return layers.Activation("relu")(x)


inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(16, 3, padding="same")(inputs)
for filters, stride in [(16, 1), (32, 2), (64, 2)]:
    x = residual_block(x, filters, stride)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs, name="mini_resnet")

model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
x_train = np.random.rand(64, 32, 32, 3).astype("float32")
y_train = np.random.randint(0, 10, size=(64,))
model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)
print("OUTPUT_SHAPE", model.predict(x_train[:2], verbose=0).shape)
