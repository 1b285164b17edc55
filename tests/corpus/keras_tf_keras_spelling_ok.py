import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

x = np.random.rand(50, 8)
y = np.random.randint(0, 2, size=(50, 1))

model = keras.Sequential([
    layers.Dense(12, input_shape=(8,), activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(x, y, epochs=1, batch_size=10, verbose=0)
print("OUTPUT_SHAPE", model.predict(x[:3], verbose=0).shape)
