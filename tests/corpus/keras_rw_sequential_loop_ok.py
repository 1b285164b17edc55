import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Dropout, Input

n_features = 30
X = np.random.rand(200, n_features)
y = (X.sum(axis=1) > 15).astype(int)

model = Sequential()
model.add(Input(shape=(n_features,)))
for units in [64, 32, 16]:
    model.add(Dense(units, activation="relu"))
    model.add(Dropout(0.2))
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(X, y, epochs=1, batch_size=32, validation_split=0.2, verbose=0)
print("OUTPUT_SHAPE", model.predict(X[:5], verbose=0).shape)
