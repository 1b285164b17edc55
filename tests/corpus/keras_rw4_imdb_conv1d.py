import numpy as np
import keras
from keras import layers

max_features = 20000
maxlen = 200
embedding_dims = 64

x_train = np.random.randint(1, max_features, size=(512, maxlen))
y_train = np.random.randint(0, 2, size=(512,))

model = keras.Sequential()
model.add(layers.Input(shape=(maxlen,), dtype="int32"))
model.add(layers.Embedding(max_features, embedding_dims))
model.add(layers.Dropout(0.2))
model.add(layers.Conv1D(128, 5, padding="valid", activation="relu", strides=1))
model.add(layers.GlobalMaxPooling1D())
model.add(layers.Dense(64, activation="relu"))
model.add(layers.Dropout(0.2))
model.add(layers.Dense(1, activation="softmax"))

model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=64, epochs=1, validation_split=0.2, verbose=0)
out = model.predict(x_train[:10], verbose=0)
print("OUTPUT_SHAPE", tuple(out.shape))
