"""A convolutional denoising autoencoder."""
import numpy as np
import keras
from keras import layers

(x_train, _), _ = keras.datasets.fashion_mnist.load_data()
x_train = x_train[:256].astype("float32") / 255.0
x_train = np.reshape(x_train, (len(x_train), 28, 28, 1))
noisy = np.clip(x_train + 0.3 * np.random.normal(size=x_train.shape), 0.0, 1.0)

inp = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(16, (3, 3), activation="relu", padding="same")(inp)
x = layers.MaxPooling2D((2, 2), padding="same")(x)
x = layers.Conv2D(8, (3, 3), activation="relu", padding="same")(x)
encoded = layers.MaxPooling2D((2, 2), padding="same")(x)
x = layers.Conv2DTranspose(8, (3, 3), strides=2, activation="relu", padding="same")(encoded)
x = layers.Conv2DTranspose(16, (3, 3), strides=2, activation="relu", padding="same")(x)
decoded = layers.Conv2D(1, (3, 3), activation="sigmoid", padding="same")(x)
autoencoder = keras.Model(inp, decoded)
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
autoencoder.fit(noisy, x_train, epochs=1, batch_size=64, verbose=0)
