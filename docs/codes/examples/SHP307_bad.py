import numpy as np
import tensorflow as tf
import keras
from keras import layers

x = np.random.rand(256, 20).astype("float32")
y = np.random.randint(0, 3, (256,))
train = tf.data.Dataset.from_tensor_slices((x[:200], y[:200])).shuffle(200).batch(32)
val = tf.data.Dataset.from_tensor_slices((x[200:], y[200:]))

model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(16, activation="relu"), layers.Dense(3)])
model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(train, validation_data=val, epochs=1, verbose=0)
