import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

# Two-resolution feature extractor: a fine branch and a coarse branch, merged before the head.
def conv_block(x, filters, pool):
    x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    x = layers.BatchNormalization()(x)
    if pool:
        x = layers.MaxPooling2D(2)(x)
    return x

inputs = keras.Input(shape=(64, 64, 3), name="image")

fine = conv_block(inputs, 32, pool=True)
fine = conv_block(fine, 64, pool=True)          # 16x16

coarse = layers.AveragePooling2D(2)(inputs)
coarse = conv_block(coarse, 32, pool=True)
coarse = conv_block(coarse, 64, pool=True)      # 8x8

merged = layers.Concatenate(axis=-1)([fine, coarse])
x = layers.Conv2D(128, 1, activation="relu")(merged)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(5, activation="softmax")(x)

model = keras.Model(inputs, outputs, name="two_branch")
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

x_batch = np.random.rand(8, 64, 64, 3).astype("float32")
out = model.predict(x_batch, verbose=0)
print("OUTPUT_SHAPE", tuple(out.shape))
