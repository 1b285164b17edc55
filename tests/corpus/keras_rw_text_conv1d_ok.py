import numpy as np
import keras
from keras import layers

max_features = 20000
embedding_dim = 128
sequence_length = 500

inputs = keras.Input(shape=(None,), dtype="int64")
x = layers.Embedding(max_features, embedding_dim)(inputs)
x = layers.Dropout(0.5)(x)
x = layers.Conv1D(128, 7, padding="valid", activation="relu", strides=3)(x)
x = layers.Conv1D(128, 7, padding="valid", activation="relu", strides=3)(x)
x = layers.GlobalMaxPooling1D()(x)
x = layers.Dense(128, activation="relu")(x)
x = layers.Dropout(0.5)(x)
predictions = layers.Dense(1, activation="sigmoid", name="predictions")(x)
model = keras.Model(inputs, predictions)
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])

x_train = np.random.randint(0, max_features, size=(64, sequence_length))
y_train = np.random.randint(0, 2, size=(64,))
model.fit(x_train, y_train, validation_data=(x_train[:16], y_train[:16]), epochs=1, verbose=0)
print("OUTPUT_SHAPE", model.predict(x_train[:2], verbose=0).shape)
