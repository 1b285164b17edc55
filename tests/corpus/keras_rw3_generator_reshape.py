import keras
from keras import layers

latent_dim = 100


def build_generator():
    noise = keras.Input(shape=(latent_dim,))
    x = layers.Dense(7 * 7 * 128, use_bias=False)(noise)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU()(x)
    x = layers.Reshape((7, 7, 256))(x)
    x = layers.Conv2DTranspose(64, 5, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU()(x)
    img = layers.Conv2DTranspose(1, 5, strides=2, padding="same", activation="tanh")(x)
    return keras.Model(noise, img, name="generator")


generator = build_generator()
z = keras.random.normal((8, latent_dim))
fake = generator(z, training=False)
print("OUTPUT_SHAPE", tuple(fake.shape))
