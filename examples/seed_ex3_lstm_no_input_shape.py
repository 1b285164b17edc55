# From the seed article, example 3: also runs in Keras 3 -- the LSTM is built from the (1, 10, 50) input.
import tensorflow as tf
from tensorflow.keras import layers

model = tf.keras.Sequential([
    layers.LSTM(128),  # No input shape defined here
    layers.Dense(10, activation='softmax')
])

try:
    input_tensor = tf.random.normal(shape=(1, 10, 50))  # 10 timesteps, 50 features
    output = model(input_tensor)
except ValueError as e:
    print(f"ValueError encountered: {e}")
