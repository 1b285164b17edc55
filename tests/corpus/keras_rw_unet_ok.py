import numpy as np
from tensorflow import keras
from tensorflow.keras import layers


def conv_block(x, n_filters):
    x = layers.Conv2D(n_filters, 3, padding="same", activation="relu", kernel_initializer="he_normal")(x)
    x = layers.Conv2D(n_filters, 3, padding="same", activation="relu", kernel_initializer="he_normal")(x)
    return x


def downsample_block(x, n_filters):
    f = conv_block(x, n_filters)
    p = layers.MaxPool2D(2)(f)
    p = layers.Dropout(0.3)(p)
    return f, p


def upsample_block(x, conv_features, n_filters):
    x = layers.Conv2DTranspose(n_filters, 3, 2, padding="same")(x)
    x = layers.concatenate([x, conv_features])
    x = layers.Dropout(0.3)(x)
    x = conv_block(x, n_filters)
    return x


def build_unet_model():
    inputs = layers.Input(shape=(128, 128, 3))
    f1, p1 = downsample_block(inputs, 16)
    f2, p2 = downsample_block(p1, 32)
    f3, p3 = downsample_block(p2, 64)
    bottleneck = conv_block(p3, 128)
    u6 = upsample_block(bottleneck, f3, 64)
    u7 = upsample_block(u6, f2, 32)
    u8 = upsample_block(u7, f1, 16)
    outputs = layers.Conv2D(3, 1, padding="same", activation="softmax")(u8)
    return keras.Model(inputs, outputs, name="U-Net")


unet_model = build_unet_model()
unet_model.compile(optimizer=keras.optimizers.Adam(), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
x = np.random.rand(4, 128, 128, 3).astype("float32")
y = np.random.randint(0, 3, size=(4, 128, 128, 1))
print("OUTPUT_SHAPE", unet_model.predict(x[:1], verbose=0).shape)
