import numpy as np
import keras
from keras import layers

inp = keras.Input(shape=(28, 28, 1))
# encoder
e = layers.Conv2D(32, 3, activation="relu", padding="same")(inp)
e = layers.MaxPooling2D(2, padding="same")(e)
e = layers.Conv2D(16, 3, activation="relu", padding="same")(e)
encoded = layers.MaxPooling2D(2, padding="same")(e)
# decoder
d = layers.Conv2DTranspose(16, 3, strides=2, activation="relu")(encoded)
d = layers.Conv2DTranspose(32, 3, strides=2, activation="relu", padding="same")(d)
decoded = layers.Conv2D(1, 3, activation="sigmoid", padding="same")(d)

autoencoder = keras.Model(inp, decoded)
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")

x_train = np.random.rand(32, 28, 28, 1).astype("float32")
autoencoder.fit(x_train, x_train, epochs=1, batch_size=8, verbose=0)
recon = autoencoder.predict(x_train[:2], verbose=0)
print("OUTPUT_SHAPE", tuple(recon.shape))
