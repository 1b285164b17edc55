import numpy as np
import keras
from keras import layers

vocab, maxlen = 1000, 50
x = np.random.randint(1, vocab, size=(128, maxlen))
y = np.random.randint(0, 2, size=(128,))

model = keras.Sequential([
    keras.Input(shape=(maxlen,)),
    layers.Embedding(vocab, 16),
    layers.GlobalAveragePooling1D(),
    layers.Dense(16, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=1, batch_size=32, verbose=0)
print("OUTPUT_SHAPE", model.predict(x[:4], verbose=0).shape)
