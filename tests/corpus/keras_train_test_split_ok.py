import numpy as np
import keras
from keras import layers
from sklearn.model_selection import train_test_split

X = np.random.rand(500, 20).astype("float32")
y = np.random.randint(0, 2, size=(500,))
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)

model = keras.Sequential([
    layers.Input(shape=(X_train.shape[1],)),
    layers.Dense(16, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(X_train, y_train, validation_data=(X_test, y_test), epochs=1, verbose=0)
print("OUTPUT_SHAPE", model.predict(X_test[:4], verbose=0).shape)
