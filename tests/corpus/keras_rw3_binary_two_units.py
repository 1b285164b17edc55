import numpy as np
import keras
from keras import layers

vocab_size, maxlen = 5000, 80

model = keras.Sequential([
    keras.Input(shape=(maxlen,)),
    layers.Embedding(vocab_size, 32),
    layers.GlobalAveragePooling1D(),
    layers.Dense(16, activation="relu"),
    layers.Dense(2, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

reviews = np.random.randint(1, vocab_size, size=(64, maxlen))
sentiment = np.random.randint(0, 2, size=(64,)).astype("float32")
model.fit(reviews, sentiment, epochs=1, batch_size=16, verbose=0)
print("OUTPUT_SHAPE", tuple(model.predict(reviews[:3], verbose=0).shape))
