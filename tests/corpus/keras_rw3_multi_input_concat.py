import numpy as np
import keras
from keras import layers

# house price model: photo + tabular features
img_in = keras.Input(shape=(64, 64, 3), name="photo")
x = layers.Conv2D(16, 3, activation="relu", padding="same")(img_in)
x = layers.MaxPooling2D()(x)
x = layers.Conv2D(32, 3, activation="relu", padding="same")(x)
x = layers.MaxPooling2D()(x)

tab_in = keras.Input(shape=(12,), name="tabular")
t = layers.Dense(32, activation="relu")(tab_in)

merged = layers.concatenate([x, t])
h = layers.Dense(64, activation="relu")(merged)
price = layers.Dense(1, name="price")(h)

model = keras.Model(inputs=[img_in, tab_in], outputs=price)
model.compile(optimizer="adam", loss="mae")

imgs = np.random.rand(16, 64, 64, 3).astype("float32")
tabs = np.random.rand(16, 12).astype("float32")
prices = np.random.rand(16, 1).astype("float32")
model.fit([imgs, tabs], prices, epochs=1, verbose=0)
out = model.predict([imgs, tabs], verbose=0)
print("OUTPUT_SHAPE", tuple(out.shape))
