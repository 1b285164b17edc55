import numpy as np
import keras
from keras import layers

latent_dim = 128


def build_generator():
    model = keras.Sequential(name="generator")
    model.add(keras.Input(shape=(latent_dim,)))
    model.add(layers.Dense(7 * 7 * 128))
    model.add(layers.LeakyReLU(negative_slope=0.2))
    model.add(layers.Reshape((7, 7, 128)))
    model.add(layers.Conv2DTranspose(128, kernel_size=4, strides=2, padding="same"))
    model.add(layers.LeakyReLU(negative_slope=0.2))
    model.add(layers.Conv2DTranspose(64, kernel_size=4, strides=2, padding="same"))
    model.add(layers.LeakyReLU(negative_slope=0.2))
    model.add(layers.Conv2D(1, kernel_size=7, padding="same", activation="sigmoid"))
    return model


def build_discriminator():
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(64, kernel_size=3, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(128, kernel_size=3, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.GlobalMaxPooling2D(),
        layers.Dense(1),
    ], name="discriminator")


generator = build_generator()
discriminator = build_discriminator()
discriminator.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
noise = np.random.normal(size=(16, latent_dim)).astype("float32")
fake_images = generator.predict(noise, verbose=0)
real_images = np.random.rand(16, 28, 28, 1).astype("float32")
combined = np.concatenate([fake_images, real_images])
labels = np.concatenate([np.ones((16, 1)), np.zeros((16, 1))])
discriminator.train_on_batch(combined, labels)
print("OUTPUT_SHAPE", fake_images.shape)
