import keras
from keras import layers

inputs = keras.Input(shape=(60, 16))
x = layers.LayerNormalization(axis=[1, 2])(inputs)
x = layers.MultiHeadAttention(num_heads=2, key_dim=8)(x, x)
outputs = layers.Dense(3)(layers.GlobalAveragePooling1D()(x))
model = keras.Model(inputs, outputs)
