import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Input
from keras.utils import to_categorical

X = np.random.rand(300, 8)
y = np.random.randint(0, 4, size=(300,))
y_cat = to_categorical(y)

model = Sequential([Input(shape=(8,)), Dense(16, activation="relu"), Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(X, y_cat, epochs=1, verbose=0)
