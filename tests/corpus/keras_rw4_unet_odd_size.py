import numpy as np
import keras
from keras import layers

IMG_SIZE = 100   # tiles were resized from 128 to 100 to save memory
NUM_CLASSES = 3


def double_conv(x, filters):
    x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    return x


def build_unet(img_size, num_classes):
    inputs = keras.Input(shape=(img_size, img_size, 1))
    skips = []
    x = inputs
    for f in [32, 64, 128]:
        x = double_conv(x, f)
        skips.append(x)
        x = layers.MaxPooling2D(2)(x)

    x = double_conv(x, 256)

    for f, skip in zip([128, 64, 32], reversed(skips)):
        x = layers.Conv2DTranspose(f, 2, strides=2, padding="same")(x)
        x = layers.concatenate([x, skip])
        x = double_conv(x, f)

    outputs = layers.Conv2D(num_classes, 1, activation="softmax")(x)
    return keras.Model(inputs, outputs)


model = build_unet(IMG_SIZE, NUM_CLASSES)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
x = np.random.rand(2, IMG_SIZE, IMG_SIZE, 1).astype("float32")
out = model.predict(x, verbose=0)
print("OUTPUT_SHAPE", tuple(out.shape))
