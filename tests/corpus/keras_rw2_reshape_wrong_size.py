import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

NOISE_DIM = 100


def make_generator_model():
    model = keras.Sequential()
    model.add(layers.Dense(7 * 7 * 64, use_bias=False, input_shape=(NOISE_DIM,)))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(layers.Reshape((7, 7, 256)))
    model.add(layers.Conv2DTranspose(128, (5, 5), strides=(1, 1), padding="same", use_bias=False))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(layers.Conv2DTranspose(64, (5, 5), strides=(2, 2), padding="same", use_bias=False))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(layers.Conv2DTranspose(1, (5, 5), strides=(2, 2), padding="same", activation="tanh"))
    return model


generator = make_generator_model()
noise = np.random.normal(size=(4, NOISE_DIM))
generated_image = generator(noise, training=False)
print("OUTPUT_SHAPE", tuple(generated_image.shape))
