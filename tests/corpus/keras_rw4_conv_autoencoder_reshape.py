import numpy as np
import keras
from keras import layers

latent_dim = 32

encoder_inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(encoder_inputs)
x = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(x)
x = layers.Flatten()(x)
latent = layers.Dense(latent_dim, name="latent")(x)
encoder = keras.Model(encoder_inputs, latent, name="encoder")

decoder_inputs = keras.Input(shape=(latent_dim,))
x = layers.Dense(7 * 7 * 64, activation="relu")(decoder_inputs)
x = layers.Reshape((7, 7, 32))(x)
x = layers.Conv2DTranspose(64, 3, strides=2, padding="same", activation="relu")(x)
x = layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu")(x)
decoder_outputs = layers.Conv2D(1, 3, padding="same", activation="sigmoid")(x)
decoder = keras.Model(decoder_inputs, decoder_outputs, name="decoder")

autoencoder = keras.Model(encoder_inputs, decoder(encoder(encoder_inputs)))
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")

x_train = np.random.rand(128, 28, 28, 1).astype("float32")
autoencoder.fit(x_train, x_train, epochs=1, batch_size=32, verbose=0)
out = autoencoder.predict(x_train[:4], verbose=0)
print("OUTPUT_SHAPE", tuple(out.shape))
