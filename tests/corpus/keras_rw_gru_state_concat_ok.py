import numpy as np
import tensorflow as tf
from tensorflow.keras import layers

inputs = tf.keras.Input(shape=(30, 8))
seq, state = layers.GRU(16, return_sequences=True, return_state=True)(inputs)
pooled = layers.GlobalAveragePooling1D()(seq)
merged = layers.Concatenate()([pooled, state])
x = layers.Dense(8, activation="relu")(merged)
out = layers.Dense(3, activation="softmax")(x)
model = tf.keras.Model(inputs=inputs, outputs=out)
model.compile(optimizer="adam", loss="categorical_crossentropy")
X = np.random.rand(20, 30, 8).astype("float32")
Y = tf.keras.utils.to_categorical(np.random.randint(0, 3, 20), num_classes=3)
model.fit(X, Y, epochs=1, verbose=0)
print("OUTPUT_SHAPE", model.predict(X[:2], verbose=0).shape)
