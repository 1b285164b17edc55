import numpy as np
import keras
from keras.layers import Embedding, Dense, Dropout

vocab_size = 2000
maxlen = 40

x_train = np.random.randint(1, vocab_size, size=(200, maxlen))
y_train = np.random.randint(0, 2, size=(200,))

model = keras.Sequential()
model.add(keras.Input(shape=(maxlen,)))
model.add(Embedding(vocab_size, 32))
model.add(Dense(32, activation="relu"))
model.add(Dropout(0.3))
model.add(Dense(1, activation="sigmoid"))
model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["acc"])
history = model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)
print("OUTPUT_SHAPE", model.predict(x_train[:2], verbose=0).shape)
